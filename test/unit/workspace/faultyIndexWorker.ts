/** An index worker that exits on files named `crash*.sql` and never returns from files named `hang*.sql`. */
import { parentPort } from 'node:worker_threads';
import { serveIndexRequests } from '../../../src/core/workspace/workerServer';

if (parentPort) {
  serveIndexRequests(parentPort, (task) => {
    const name = task.path.split('/').pop()!;
    if (name.startsWith('crash')) process.exit(3);
    if (name.startsWith('hang')) for (;;);
  });
}
