/**
 * Holds the REST side to its own description: every answer the HTTP suites receive through
 * `call()` is validated against the schema the served OpenAPI document gives for that operation
 * and status (JSON Schema 2020-12, the dialect of OpenAPI 3.1). An undocumented status, a JSON
 * answer where the document promises none, or a body that does not match is a failure of the test
 * that made the call. Paths the document does not describe (tRPC, unknown paths) and bodies that
 * are not JSON are not checked.
 *
 * The document is fetched from the server under test once per test file, added to Ajv whole, and
 * each (operation, status) schema is compiled the first time it is needed; its `$ref`s resolve
 * inside the document, so the document's components are compiled once.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, any>;

const DOCUMENT_ID = "urn:classroom:openapi";

const pointer = (...segments: string[]) => segments.map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

interface Route {
  template: string;
  pattern: RegExp;
}

export class ResponseCheck {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  private readonly document: Json;

  constructor(document: Json) {
    this.document = document;
    addFormats(this.ajv);
    this.ajv.addSchema(document, DOCUMENT_ID);
    this.routes = Object.keys(document.paths ?? {}).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`),
    }));
  }

  /** Why this answer does not match the document, or undefined when it does (or is not checked). */
  problem(method: string, url: string, status: number, contentType: string | null, body: unknown): string | undefined {
    if (!contentType?.includes("json")) return undefined;
    const path = new URL(url, "http://host").pathname;
    // As the server dispatches: the first path that matches and has this method.
    const route = this.routes.find((r) => r.pattern.test(path) && this.document.paths[r.template][method.toLowerCase()]);
    const operation = route && this.document.paths[route.template][method.toLowerCase()];
    if (!route || !operation) return undefined;
    const where = `${operation.operationId} (${method} ${route.template}) answered ${status}`;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in operation.responses);
    if (!key) return `${where}, a status the document does not list (${Object.keys(operation.responses).join(", ")})`;
    let location = pointer("paths", route.template, method.toLowerCase(), "responses", key);
    let response = operation.responses[key];
    if (typeof response.$ref === "string") {
      location = response.$ref.slice(1);
      response = this.resolve(location);
    }
    if (!response.content?.["application/json"]) return `${where} with JSON, where the document lists ${Object.keys(response.content ?? {}).join(", ") || "no body"}`;
    const schemaAt = `${location}${pointer("content", "application/json", "schema")}`;
    let validate = this.validators.get(schemaAt);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#${schemaAt}` });
      this.validators.set(schemaAt, validate);
    }
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? ""} [${e.schemaPath}]`).join("; ");
    return `${where} with a body that does not match its schema: ${errors}; body: ${JSON.stringify(body)?.slice(0, 500)}`;
  }

  private resolve(location: string): Json {
    let node: any = this.document;
    for (const segment of location.split("/").slice(1)) node = node?.[segment.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (!node) throw new Error(`the document has nothing at #${location}`);
    return node;
  }
}

const checks = new Map<string, Promise<ResponseCheck>>();

/** The check for the API at `apiUrl`, built from the document it serves. */
export function responseCheck(apiUrl: string): Promise<ResponseCheck> {
  let check = checks.get(apiUrl);
  if (!check) {
    check = fetch(`${apiUrl}/openapi.json`).then(async (response) => {
      if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
      return new ResponseCheck((await response.json()) as Json);
    });
    checks.set(apiUrl, check);
  }
  return check;
}
