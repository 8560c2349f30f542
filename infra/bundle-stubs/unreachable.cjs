'use strict';
// Stand-ins for packages that the Lambda bundles would carry as dependencies of dependencies but never run. The list,
// with the reason for each, is UNREACHABLE_PACKAGES in infra/defaults.ts (docs/infra.md explains); esbuild aliases
// each of those packages to a file of this folder, which exports one of these stand-ins.
//
// A stand-in lets the code that merely *loads* the package load (reading a member gives another stand-in, so
// `class X extends pkg.Base`, `pkg.Enum.Value` and re-exports still work at import time) but throws as soon as anything
// of it *runs* (is called or constructed). The error names the package and the member, and the member is recorded in
// `globalThis[Symbol.for('aptic.unreachable')]`, so a test notices even an error that a caller swallowed.
// CommonJS on purpose: the importers are CommonJS modules that `require()` the package and use its exports object.

const REACHED = Symbol.for('aptic.unreachable');

/** Keys that loaders, bundler helpers, `await` and inspectors probe on any object: they read as absent. */
const ABSENT = new Set(['__esModule', 'then', 'toJSON', 'default', 'constructor', 'inspect', 'asymmetricMatch']);
/** Function members a caller may use on a constructor without running it (`Base.call(this)` still runs it). */
const OWN = new Set(['name', 'length', 'toString', 'call', 'apply', 'bind']);

function reached(path) {
  if (!globalThis[REACHED]) globalThis[REACHED] = [];
  globalThis[REACHED].push(path);
  const err = new Error(
    `${path} was run, but this package is left out of the Lambda bundles as never run by them: ` +
      'see UNREACHABLE_PACKAGES in infra/defaults.ts',
  );
  err.name = 'UnreachablePackageError';
  return err;
}

function standIn(path, kept = {}) {
  const members = new Map();
  const target = function unreachable() {};
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'symbol') {
        if (key === Symbol.toPrimitive) return () => `[${path}: not bundled]`;
        return Reflect.get(t, key);
      }
      if (Object.hasOwn(kept, key)) return kept[key];
      if (ABSENT.has(key)) return undefined;
      if (OWN.has(key)) return Reflect.get(t, key);
      // Set by the importer on the stand-in (static members assigned at load time).
      if (key !== 'prototype' && Object.hasOwn(t, key)) return t[key];
      let m = members.get(key);
      if (!m) {
        m = standIn(`${path}.${key}`);
        members.set(key, m);
      }
      return m;
    },
    apply() {
      throw reached(path);
    },
    construct() {
      throw reached(path);
    },
  });
}

/**
 * The whole package is left out: the package and each of its members are stand-ins, except the members in `kept`
 * (harmless ones that the importers call while they load, such as a data registration).
 */
exports.unreachable = (name, kept = {}) => standIn(name, kept);

/** The package is replaced by a lighter one, `real`, that has the members we run; any other member is a stand-in. */
exports.partly = (name, real) =>
  new Proxy(real, {
    get(t, key) {
      if (typeof key === 'symbol' || key in t || ABSENT.has(key)) return Reflect.get(t, key);
      return standIn(`${name}.${key}`);
    },
  });
