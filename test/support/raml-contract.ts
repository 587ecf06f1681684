/**
 * RAML contract checks: every resource and method a `raml/*.raml` file declares, with the
 * declared body type of each response, validated by the RAML 1.0 reference parser.
 */
import { createRequire } from 'node:module';
import { projectPath } from '../../src/shared/paths.js';

const require = createRequire(import.meta.url);

interface RamlTypeDecl {
  validateInstanceWithDetailedStatuses(v: unknown): { getMessage(): string; getValidationPathAsString?(): string }[];
}
interface RamlBody {
  name(): string;
  runtimeDefinition?(): unknown;
  type(): string[];
}
interface RamlResponse {
  code(): { value(): string };
  body(): RamlBody[];
}
interface RamlMethod {
  method(): string;
  responses(): RamlResponse[];
}
interface RamlResource {
  completeRelativeUri(): string;
  methods(): RamlMethod[];
}
interface RamlApi {
  /** The API with traits and resource types applied (RAML 1.0 §Applying Resource Types and Traits). */
  expand?(expandLibraries?: boolean): RamlApi;
  errors(): { message: string; line?: number; path?: string }[];
  allResources(): RamlResource[];
  types(): (RamlTypeDecl & { name(): string })[];
}

const parser = require('raml-1-parser') as { loadApiSync(path: string): RamlApi };

export interface Operation {
  readonly method: string;
  readonly path: string;
  /** status → declared body type name */
  readonly responses: ReadonlyMap<number, string | undefined>;
}

export interface RamlContract {
  readonly file: string;
  readonly errors: string[];
  readonly operations: Operation[];
  /** Problems of `body` against the named declared type; empty when it conforms. */
  check(typeName: string, body: unknown): string[];
}

export function loadRaml(name: string): RamlContract {
  const file = projectPath('raml', name);
  const loaded = parser.loadApiSync(file);
  // traits (e.g. the responses every authenticated operation can give) count as declared
  const api = loaded.expand ? loaded.expand(true) : loaded;
  const types = new Map(api.types().map((t) => [t.name(), t]));
  const operations = api.allResources().flatMap((r) =>
    r.methods().map((m) => ({
      method: m.method().toUpperCase(),
      path: r.completeRelativeUri(),
      responses: new Map(m.responses().map((resp) => [Number(resp.code().value()), resp.body()[0]?.type()[0]])),
    })),
  );
  return {
    file,
    errors: api.errors().map((e) => `${e.path ?? file}:${(e.line ?? 0) + 1}: ${e.message}`),
    operations,
    check(typeName, body) {
      const t = types.get(typeName);
      if (!t) return [`type ${typeName} is not declared in ${name}`];
      return t.validateInstanceWithDetailedStatuses(body).map((s) => s.getMessage());
    },
  };
}
