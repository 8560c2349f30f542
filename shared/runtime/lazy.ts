/**
 * A value built on first use and memoised: how the AWS SDK clients that few functions call (Cognito, KMS, SES v2,
 * Secrets Manager) are loaded. Their packages are CommonJS modules of several hundred KB that Node would otherwise
 * parse and run at every cold start of every function (`npm run bench -- bundles`); with a dynamic `import()` at first
 * use, a function pays for a client only when it calls it. A failed load is not memoised: the next call tries again.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => {
    value ??= load().catch((err: unknown) => {
      value = null;
      throw err;
    });
    return value;
  };
}
