import { Controller, Get } from '@nestjs/common';
import { type HealthStatus, HealthService } from './health.service';

@Controller('healthz')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  healthz(): HealthStatus {
    return this.health.check();
  }
}
