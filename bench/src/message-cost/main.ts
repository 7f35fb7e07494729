// Micro-benchmark: the CPU time of one request-response message between Nest's TCP client and server, both in this
// process, with the library's messaging tracing on or off (the case's environment). Prints one JSON line:
// MessageCostSample.
import './instrumentation';
import 'reflect-metadata';
import { createServer, type AddressInfo } from 'node:net';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClientProxy, ClientsModule, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { TelemetryModule } from '@obs/telemetry';
import { firstValueFrom } from 'rxjs';
import type { MessageCostSample, MessageCostSettings } from './message-cost-result';

const CLIENT = 'BENCH_CLIENT';

@Controller()
class EchoController {
  @MessagePattern('bench.echo')
  echo(@Payload() value: number): number {
    return value;
  }
}

function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

async function roundTrips(client: ClientProxy, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if ((await firstValueFrom(client.send<number>('bench.echo', i))) !== i) throw new Error('wrong echo');
  }
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as MessageCostSettings;
  const transport = {
    transport: Transport.TCP as const,
    options: { host: '127.0.0.1', port: await freeLoopbackPort() },
  };

  @Module({
    imports: [TelemetryModule.forRoot(), ClientsModule.register([{ name: CLIENT, ...transport }])],
    controllers: [EchoController],
  })
  class BenchModule {}

  const app = await NestFactory.create(BenchModule, { logger: false });
  app.connectMicroservice(transport);
  await app.startAllMicroservices();
  await app.init();
  const client = app.get<ClientProxy>(CLIENT);
  await roundTrips(client, settings.messages); // for the JIT
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await roundTrips(client, settings.messages);
  const elapsedNs = Number(process.hrtime.bigint() - started);
  const cpu = process.cpuUsage(cpuBefore);
  await app.close(); // shuts the SDK down: pending spans are exported before the process ends
  const sample: MessageCostSample = {
    cpuUsPerMessage: (cpu.user + cpu.system) / settings.messages,
    elapsedUsPerMessage: elapsedNs / 1000 / settings.messages,
    messages: settings.messages * 2,
  };
  console.log(JSON.stringify(sample));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
