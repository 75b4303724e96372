// Entry point of the bundled language server (dist/server.js): stdio (--stdio) or IPC (--node-ipc), as the client asks.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { errorDetail } from './errorText';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);

// Last line of defence: a stray failure outside a handler is logged and the server keeps serving.
process.on('uncaughtException', (error) => connection.console.error(`GC Lens: uncaught exception: ${errorDetail(error)}`));
process.on('unhandledRejection', (reason) => connection.console.error(`GC Lens: unhandled rejection: ${errorDetail(reason)}`));

startServer(connection);
