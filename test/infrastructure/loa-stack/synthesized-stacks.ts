/**
 * The synthesized Loa stack, without bundling, for the checks of each part of it: one app with a dev
 * stage (the defaults of `npm run synth`) and a prod stage (e-mail, console origin, a faster gateway, SNS
 * log groups that already exist), synthesized once for them all.
 */
import { afterAll } from 'vitest';
import type { HANDLER_ENTRIES, LoaFunction } from '../../../lib/constructs/functions.js';
import type { LoaStack } from '../../../lib/loa-stack.js';
import { DEV_PROPS, PROD_PROPS, synthesize } from '../synth.js';
import { logicalId, resource } from '../template-helpers.js';

const synthesized = synthesize([DEV_PROPS, PROD_PROPS]);
afterAll(() => synthesized.cleanUp());
export const [devStack, prodStack] = synthesized.stacks as [LoaStack, LoaStack];
export const [dev, prod] = synthesized.templates as [
  NonNullable<(typeof synthesized.templates)[0]>,
  NonNullable<(typeof synthesized.templates)[0]>,
];

/** The Lambdas of a stack by handler name (both test stages have an eum gateway). */
function functionsOf(stack: LoaStack): Record<keyof typeof HANDLER_ENTRIES, LoaFunction> {
  return {
    api: stack.api.handler,
    scheduleTarget: stack.scheduling.scheduleTarget,
    fanOut: stack.dispatch.fanOut,
    sender: stack.dispatch.sender,
    deliveryReports: stack.deliveryReports!.ingester,
    eumDeliveryEvents: stack.endUserMessaging!.ingester,
    janitor: stack.dispatch.janitor,
    import: stack.imports.importer,
  };
}
export const devFunctions = functionsOf(devStack);
export const fnId = (name: keyof typeof HANDLER_ENTRIES, stack = devStack) => logicalId(stack, functionsOf(stack)[name].fn);
export const envOf = (name: keyof typeof HANDLER_ENTRIES, template = dev, stack = devStack) =>
  resource(template, fnId(name, stack)).Properties.Environment.Variables as Record<string, unknown>;
