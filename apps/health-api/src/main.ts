import './instrumentation';
import { NestFactory } from '@nestjs/core';
import { serve } from '@obs/telemetry';
import { AppModule } from './app/app.module';

async function bootstrap(): Promise<void> {
  await serve(await NestFactory.create(AppModule), { port: 3000 });
}

void bootstrap();
