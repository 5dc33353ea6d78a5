/**
 * The Loa command line: `start [--demo]` runs everything in one process; `token ...` mints and revokes
 * bearer tokens for the runtime that uses the same DATA_DIR; `user ...` manages the staff accounts that
 * sign in to the console.
 */
import { parseArgs } from 'node:util';
import { seedDemo } from './demo.js';
import { log } from './log.js';
import { startRuntime } from './runtime.js';
import { readSettings } from './settings.js';
import { demoAccountsTable, seedDemoAccounts } from './staff/demo-accounts.js';
import { USER_USAGE, userCommand } from './staff/user-command.js';
import { TOKEN_USAGE, tokenCommand } from './token-command.js';

const USAGE = `Usage: npm run loa -- <command>
  start [--demo]                        run the API, scheduler, dispatcher and carrier simulator
${TOKEN_USAGE}
${USER_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'start') return start(rest);
  if (command === 'token') {
    return tokenCommand(rest, readSettings(process.env).dataDir, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  }
  if (command === 'user') {
    return userCommand(rest, readSettings(process.env).dataDir, {
      stdin: process.stdin,
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  }
  process.stderr.write(`${USAGE}\n`);
  return command === undefined || command === 'help' ? 0 : 2;
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false } } });
  const settings = readSettings(process.env);
  const runtime = await startRuntime(settings);
  let demoSignIns = '';
  if (values.demo) {
    const seeded = await seedDemo(runtime.deps);
    log.info(
      `demo data: ${seeded.subscribers} subscribers in ${seeded.areas} areas, ` +
        `segment ${seeded.segmentId}, ${seeded.tours} loudspeaker tours`,
    );
    const accounts = await seedDemoAccounts(runtime.staff, runtime.deps);
    demoSignIns = `Demo accounts (new passwords at every start with --demo):\n${demoAccountsTable(accounts)}\n`;
  }
  log.info(`Loa is listening on ${runtime.url} (data in ${settings.dataDir})`);
  process.stdout.write(
    `\nStaff console: ${runtime.url}/ (open it in a browser)\nAPI: ${runtime.url}/v1, described at ${runtime.url}/openapi.json\n` +
      `Get a token: npm run loa -- token --user lan --role author\n${demoSignIns}\n`,
  );
  const shutdown = (signal: string) => {
    log.info(`${signal}: finishing what is in flight`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
