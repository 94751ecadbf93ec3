/**
 * ElectroDB's `Entity`, built without checking its model at construction.
 *
 * ElectroDB checks each model against its JSON Schema when the entity is built (twice: as a
 * legacy model first, which fails, then as a current one). The models are constants in this
 * package, so the answer never changes between processes, yet every Lambda cold start paid it:
 * it was about a third of building the entities. The check runs in the tests instead
 * (test/entities.test.ts builds every model with ElectroDB's own `Entity`), so a model ElectroDB
 * would refuse still fails before it ships. Everything else is ElectroDB's, unchanged: the
 * model is parsed and the entity behaves as one built by `electrodb` directly.
 */
import { Entity as ElectroEntity } from "electrodb";

class UncheckedEntity extends ElectroEntity<string, string, string, never> {
  /** Called by ElectroDB's constructor; the check is the tests' (see above). */
  protected _validateModel(): void {}
}

/** Typed exactly as ElectroDB's `Entity` (its constructor infers each model's attributes and indexes). */
export const Entity = UncheckedEntity as unknown as typeof ElectroEntity;
