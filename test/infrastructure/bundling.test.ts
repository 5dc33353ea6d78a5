/**
 * Bundles every Lambda for real, as `cdk synth` and `cdk deploy` do (local esbuild, the options of
 * lib/constructs/functions.ts), so a broken import in any handler fails the suite. The only
 * infrastructure test that bundles; a few seconds a function.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDLER_ENTRIES } from '../../lib/constructs/functions.js';
import { DEV_PROPS, synthesize } from './synth.js';
import { logicalId, resource } from './template-helpers.js';

describe('bundling every Lambda with esbuild', () => {
  const synthesized = synthesize([DEV_PROPS], { bundle: true });
  afterAll(() => synthesized.cleanUp());
  const [stack] = synthesized.stacks;
  const [template] = synthesized.templates;
  const functions = {
    api: stack!.api.handler,
    scheduleTarget: stack!.scheduling.scheduleTarget,
    fanOut: stack!.dispatch.fanOut,
    sender: stack!.dispatch.sender,
    deliveryReports: stack!.deliveryReports!.ingester,
    eumDeliveryEvents: stack!.endUserMessaging!.ingester,
    janitor: stack!.dispatch.janitor,
    import: stack!.imports.importer,
  };

  it.each(Object.keys(HANDLER_ENTRIES) as (keyof typeof HANDLER_ENTRIES)[])(
    '%s is one ES module with a source map, exporting handler',
    (name) => {
      const code = resource(template!, logicalId(stack!, functions[name].fn)).Properties.Code as { S3Key: string };
      const directory = join(synthesized.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      expect(existsSync(join(directory, 'index.mjs')), directory).toBe(true);
      expect(existsSync(join(directory, 'index.mjs.map'))).toBe(true);
      const bundle = readFileSync(join(directory, 'index.mjs'), 'utf8');
      expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
      expect(bundle).not.toMatch(/better-sqlite3/);
    },
  );
});
