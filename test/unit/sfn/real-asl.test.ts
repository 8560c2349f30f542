// The engine accepts the ASL synthesized from the CDK stack (infra/asl.ts): every Task mapped, callbacks inferred.
import { describe, expect, it } from 'vitest';
import { extractAsl } from '../../../infra/asl.js';
import { LocalStepFunctions } from '../../../infra/local/sfn/engine.js';

describe('LocalStepFunctions with the synthesized ASL', () => {
  it('maps every Task of extractAsl() and infers the same callback Tasks', async () => {
    const asl = extractAsl();
    const handlers = Object.fromEntries(Object.keys(asl.tasks).map((name) => [name, async () => ({})]));
    const engine = new LocalStepFunctions({
      definition: asl.definition,
      stateMachineArn: 'arn:aws:states:eu-west-3:000000000000:stateMachine:Qualification',
      stateMachineName: 'Qualification',
      taskHandlers: handlers,
    });
    try {
      const inferred = Object.fromEntries(engine.taskStates().map((t) => [t.name, t.callback]));
      const declared = Object.fromEntries(Object.entries(asl.tasks).map(([name, t]) => [name, t.callback]));
      expect(inferred).toEqual(declared);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
