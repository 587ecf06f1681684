/**
 * The few `Reflect` metadata functions that tsyringe (a dependency of @peculiar/x509) checks for
 * at load time and calls from its `@injectable()` decorator. The `reflect-metadata` package is not
 * a dependency of the hub; @peculiar/x509 only needs metadata storage that answers "nothing
 * recorded" for its parameterless classes, so this WeakMap-backed stand-in is enough. It installs
 * nothing when a real polyfill is already present. Import it before `@peculiar/x509` (x509.ts does).
 */
type MetadataTarget = object;
const store = new WeakMap<MetadataTarget, Map<unknown, unknown>>();

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: MetadataTarget) => unknown;
  getOwnMetadata?: (key: unknown, target: MetadataTarget) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: MetadataTarget) => void;
}

const reflect = Reflect as unknown as ReflectMetadata;
if (typeof reflect.getMetadata !== 'function') {
  reflect.defineMetadata = (key, value, target) => {
    let own = store.get(target);
    if (!own) store.set(target, (own = new Map()));
    own.set(key, value);
  };
  reflect.getOwnMetadata = (key, target) => store.get(target)?.get(key);
  reflect.getMetadata = (key, target) => {
    for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
      const v = store.get(o)?.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

export {};
