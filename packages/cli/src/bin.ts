#!/usr/bin/env -S node --import tsx
import { Command, CommanderError } from 'commander';
import { registerDataCommands } from './commands/data.js';
import { registerDeployCommand } from './commands/deploy.js';
import { registerLocalCommands } from './commands/local.js';
import { registerMarketCommands } from './commands/market.js';
import { registerOrderCommands } from './commands/orders.js';
import { registerRunCommands } from './commands/run.js';
import { registerSecretsCommands } from './commands/secrets.js';
import { registerWalletCommands } from './commands/wallet.js';
import { failureOf } from './errors.js';
import { printFailure } from './output.js';

/** The `confide` program: every command registered, commander's exits turned into exceptions. */
function createProgram(): Command {
  const program = new Command('confide')
    .description('Confide: protect data, grant its use, run apps on it in TEEs — and the local network to try it')
    .showHelpAfterError(false)
    .exitOverride();
  program.addHelpText('after', '\nExit codes and error codes: docs/cli.md');
  registerLocalCommands(program);
  registerDeployCommand(program);
  registerWalletCommands(program);
  registerDataCommands(program);
  registerRunCommands(program);
  registerMarketCommands(program);
  registerOrderCommands(program);
  registerSecretsCommands(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  const json = argv.includes('--json');
  const name = argv[0] && !argv[0].startsWith('-') ? `confide ${argv[0]}` : 'confide';
  if (argv.length === 0) {
    process.stderr.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version succeed; help shown for a missing subcommand (`confide wallet`) is a usage error.
      if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) {
        return error.exitCode === 0 ? 0 : 2;
      }
      // Commander has printed its message on stderr already.
      printFailure({ json }, { code: 'CONFIDE_CLI_USAGE', message: error.message, exit: 2 }, name, false);
      return 2;
    }
    const failure = failureOf(error);
    printFailure({ json }, failure, name);
    return failure.exit;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`confide: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
