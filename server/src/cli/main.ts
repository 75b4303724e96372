// Entry point of the `gclens` command (bundled to dist/cli.js; bin/gclens.js runs it).
import { parseCommandLine } from './cliArgs';
import { EXIT_CLEAN, EXIT_ERROR, runCheckCommand, type CliIo } from './checkCommand';
import { runSimulateCommand } from './simulateCommand';
import { isSimulationWorker, runSimulationWorker } from './simulateInWorker';
import { TOOL_VERSION } from './toolInfo';

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommandLine(args);
  switch (command.kind) {
    case 'help':
      io.writeOut(command.text);
      return EXIT_CLEAN;
    case 'version':
      io.writeOut(`gclens ${TOOL_VERSION}\n`);
      return EXIT_CLEAN;
    case 'usage-error':
      io.writeErr(`gclens: error: ${command.message}\n\n${command.usage}`);
      return EXIT_ERROR;
    case 'check':
      return runCheckCommand(command.options, io);
    case 'simulate':
      return runSimulateCommand(command.options, io);
    default: {
      const unexpected: never = command;
      throw new Error(`unknown command ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Runs the CLI on this process's arguments and streams, setting the exit code when done. */
export function main(): void {
  // A reader that stops early (`gclens check | head`) is not an error: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_CLEAN);
    throw error;
  });
  const io: CliIo = {
    cwd: process.cwd(),
    writeOut: (text) => void process.stdout.write(text),
    writeErr: (text) => void process.stderr.write(text),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gclens: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}

// The bundle is also the simulation worker's script (simulateInWorker.ts): one file, no second bundle to ship.
if (require.main === module) {
  if (isSimulationWorker()) void runSimulationWorker();
  else main();
}
