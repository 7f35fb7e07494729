import 'reflect-metadata';
import { HealthCheckController } from './health-check.controller';
import { HealthCheckService } from './health-check.service';

describe('HealthCheckController', () => {
  const controller = new HealthCheckController(new HealthCheckService());

  it('answers health.check naming who asked', () => {
    expect(controller.check({ from: 'gateway-api' })).toMatchObject({
      status: 'ok',
      checkedBy: 'worker',
      askedBy: 'gateway-api',
    });
  });

  it('takes a payload without a string "from" as asked by nobody known', () => {
    expect(controller.check({ from: 42 }).askedBy).toBe('unknown');
    expect(controller.check(null as never).askedBy).toBe('unknown');
  });
});
