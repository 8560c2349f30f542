/** Types of bundle-key.mjs (plain JavaScript: infra/local/start.mjs runs it before tsx is loaded). */
export interface BundleInputs {
  /** Project files esbuild read, relative to the root. */
  files: string[];
  /** Folders of the installed packages esbuild read from, relative to the root. */
  packages: string[];
  /** Folders whose listing is part of the key (the stand-ins). */
  dirs: string[];
}
export const BUNDLE_FORMAT: number;
export function bundleKey(inputs: BundleInputs, root: string): string;
export function findFreshBundle(cacheDir: string, root: string): string | null;
