import { Controller, Get } from '@nestjs/common';
import { toHttpException } from './upstream-errors';
import { type WorkerAnswer, WorkerClient } from './worker.client';

@Controller('upstream')
export class WorkerController {
  constructor(private readonly workerClient: WorkerClient) {}

  /** The worker's `health.check` over the broker: 502 when the broker or the worker is down, 504 when it is slow. */
  @Get('worker')
  async check(): Promise<{ upstream: 'worker'; answer: WorkerAnswer }> {
    try {
      return { upstream: 'worker', answer: await this.workerClient.check() };
    } catch (error) {
      throw toHttpException(error);
    }
  }
}
