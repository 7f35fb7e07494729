import { Injectable } from '@nestjs/common';
import { Span } from '@obs/telemetry';

export interface HealthCheck {
  status: 'ok';
  checkedBy: 'worker';
  askedBy: string;
  upSince: string;
}

@Injectable()
export class HealthCheckService {
  private readonly upSince = new Date().toISOString();

  /** A child span of the message's CONSUMER span. */
  @Span()
  check(askedBy: string): HealthCheck {
    return { status: 'ok', checkedBy: 'worker', askedBy, upSince: this.upSince };
  }
}
