/**
 * The synthesized Loa stack, part by part: each part's checks are in a module of loa-stack/ named after
 * it, and all run in this one test file because vitest gives each test file a process of its own, and
 * synthesizing the stack (loa-stack/synthesized-stacks.ts) takes seconds: here it is done once for all.
 */
import './loa-stack/data-table.js';
import './loa-stack/auth.js';
import './loa-stack/http-api.js';
import './loa-stack/functions.js';
import './loa-stack/dispatch.js';
import './loa-stack/scheduling.js';
import './loa-stack/delivery-reports.js';
import './loa-stack/end-user-messaging.js';
import './loa-stack/imports.js';
import './loa-stack/observability.js';
import './loa-stack/least-privilege.js';
import './loa-stack/non-dev-stage.js';
import './loa-stack/outputs.js';
