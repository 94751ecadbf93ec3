/**
 * Runs the real infra (sst.config.ts and every infra/*.ts) against recording fakes of SST's
 * globals, so the tests can read what AWS would be asked to create, without AWS or Pulumi.
 *
 * - `sst.*`, `aws.*` and `random.*`: every constructor records `{ type, name, args }` and
 *   returns a fake resource; every method called on a resource records `{ target, method, args }`.
 * - A resource's attributes (`table.name`, `api.nodes.api.id`, `fn.apply(f => f.name)`) are
 *   references that print as `${Table.name}`, so the tests can check which resource an
 *   argument points at. `$interpolate` and `$jsonStringify` build strings from them.
 */

export interface RecordedResource {
  /** The constructor's path, e.g. `sst.aws.Dynamo`, `aws.cloudwatch.MetricAlarm`. */
  type: string;
  name: string;
  args: any;
}

export interface RecordedCall {
  /** The reference the method was called on, e.g. `Api`. */
  target: string;
  method: string;
  args: any[];
}

export interface Infra {
  resources: RecordedResource[];
  calls: RecordedCall[];
  /** What `run()` in sst.config.ts returns. */
  outputs: any;
  /** The resources of one type. */
  ofType(type: string): RecordedResource[];
  /** The one resource of this type and name; throws when absent. */
  resource(type: string, name: string): RecordedResource;
  /** The calls of one method on one target. */
  callsOf(target: string, method: string): RecordedCall[];
}

const PATH = Symbol("reference path");

/** `${path}`, the way a reference prints. */
export const reference = (path: string) => `\${${path}}`;

function isReference(value: unknown): value is { [PATH]: string } {
  return typeof value === "function" && (value as any)[PATH] !== undefined;
}

/** Deep copy with every reference replaced by its printed form, for plain comparisons. */
export function resolve(value: unknown): any {
  if (isReference(value)) return reference(value[PATH]);
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, resolve(v)]));
  }
  return value;
}

function label(args: unknown[]): string {
  const first = args[0] as any;
  if (typeof first === "string") return first;
  if (first && typeof first === "object" && typeof first.name === "string") return first.name;
  return "";
}

export async function loadInfra(env: Record<string, string | undefined> = {}): Promise<Infra> {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];

  /** A namespace (`aws.cloudwatch`), a constructor (`new aws.cloudwatch.MetricAlarm`) or a function (`aws.getRegionOutput()`). */
  function namespace(path: string): any {
    return new Proxy(function () {}, {
      get: (_, key) => (typeof key === "symbol" ? undefined : namespace(`${path}.${key}`)),
      construct: (_, [name, args]) => {
        resources.push({ type: path, name, args });
        return ref(name);
      },
      apply: (_, __, args) => ref(`${path}(${label(args)})`),
    });
  }

  /** A resource or one of its attributes: property reads go deeper, calls are recorded as methods. */
  function ref(path: string): any {
    return new Proxy(function () {}, {
      get: (_, key) => {
        if (key === PATH) return path;
        if (key === Symbol.toPrimitive || key === "toString" || key === "toJSON") return () => reference(path);
        if (typeof key === "symbol" || key === "then") return undefined;
        // Output<T>.apply(fn): here T is the reference itself.
        if (key === "apply") return (fn: (value: unknown) => unknown) => fn(ref(path));
        return ref(`${path}.${key}`);
      },
      apply: (_, __, args) => {
        const dot = path.lastIndexOf(".");
        const target = path.slice(0, dot);
        const method = path.slice(dot + 1);
        calls.push({ target, method, args });
        return ref(`${path}(${label(args)})`);
      },
    });
  }

  const globals: Record<string, unknown> = {
    sst: namespace("sst"),
    aws: namespace("aws"),
    random: namespace("random"),
    $app: { name: "classroom", stage: "test" },
    $dev: false,
    $config: (config: unknown) => config,
    $interpolate: (strings: TemplateStringsArray, ...values: unknown[]) =>
      strings.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ""), ""),
    $jsonStringify: (value: unknown) => JSON.stringify(value),
  };
  Object.assign(globalThis, globals);
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const setEnv = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  setEnv(env);
  let outputs: unknown;
  try {
    const config = (await import("../../sst.config.ts")).default as unknown as { run(): Promise<unknown> };
    outputs = resolve(await config.run());
  } finally {
    setEnv(saved);
  }
  const recorded = resources.map((r) => ({ ...r, args: resolve(r.args) }));
  const recordedCalls = calls.map((c) => ({ ...c, args: resolve(c.args) }));
  return {
    resources: recorded,
    calls: recordedCalls,
    outputs,
    ofType: (type) => recorded.filter((r) => r.type === type),
    resource(type, name) {
      const found = recorded.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name}; created: ${recorded.map((r) => `${r.type} ${r.name}`).join(", ")}`);
      return found;
    },
    callsOf: (target, method) => recordedCalls.filter((c) => c.target === target && c.method === method),
  };
}
