import { HubError } from '../../shared/errors.js';
import { JOB_ID, QUEUE_NAME } from '../../shared/queue.js';

export function checkQueueName(queue: string): void {
  if (!QUEUE_NAME.test(queue))
    throw new HubError('QUEUE_JOB_INVALID', `queue name ${JSON.stringify(queue)} must match ${QUEUE_NAME.source}`);
}

export function checkJobId(id: string): void {
  if (!JOB_ID.test(id)) throw new HubError('QUEUE_JOB_INVALID', `job id ${JSON.stringify(id)} must match ${JOB_ID.source}`);
}
