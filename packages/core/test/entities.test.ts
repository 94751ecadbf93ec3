/**
 * The entities are built without ElectroDB's model check (src/entity.ts): the check runs here,
 * on every model, with ElectroDB's own `Entity`.
 */
import { Entity as ElectroEntity, ElectroError } from "electrodb";
import { describe, expect, it } from "vitest";
import { Entity } from "../src/entity.ts";
import { db } from "../src/table.ts";

const models = Object.entries(db().entities).map(([name, entity]) => [name, entity.schema] as const);

describe("entity models", () => {
  it("covers every entity of the service", () => {
    expect(models.length).toBeGreaterThanOrEqual(23);
    for (const [name, schema] of models) expect(schema.model.entity, name).toBe(name);
  });

  it.each(models)("%s passes ElectroDB's model check", (_name, schema) => {
    expect(() => new ElectroEntity(schema as never)).not.toThrow();
  });

  it("the check refuses a model ElectroDB would refuse, which the unchecked build lets through", () => {
    const [, message] = models.find(([name]) => name === "message")!;
    // An option of the wrong type: `required` must be a boolean, and "yes" is not.
    const broken = { ...message, attributes: { ...message.attributes, content: { type: "string", required: "yes" } } };
    expect(() => new ElectroEntity(broken as never)).toThrow(ElectroError);
    expect(() => new Entity(broken as never)).not.toThrow();
  });
});
