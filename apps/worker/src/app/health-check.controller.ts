import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type HealthCheck, HealthCheckService } from './health-check.service';

@Controller()
export class HealthCheckController {
  constructor(private readonly healthCheck: HealthCheckService) {}

  /** Answers `health.check` messages from the broker (the gateway's `/upstream/worker`). */
  @MessagePattern('health.check')
  check(@Payload() request: { from?: unknown }): HealthCheck {
    return this.healthCheck.check(typeof request?.from === 'string' ? request.from : 'unknown');
  }
}
