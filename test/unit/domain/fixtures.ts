// The example document of application.md (test/helpers/fixtures.ts), and a builder for variants.
import { type ExampleDocument, exampleDocument } from '../../helpers/fixtures.js';

export { type ExampleDocument, exampleDocument };

/** A deep copy of the example, changed by `edit`. */
export function variant(edit: (d: ExampleDocument & Record<string, unknown>) => void): unknown {
  const d = exampleDocument() as ExampleDocument & Record<string, unknown>;
  edit(d);
  return d;
}
