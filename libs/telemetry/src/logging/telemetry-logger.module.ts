import {
  type DynamicModule,
  Logger,
  type LoggerService,
  Module,
  type OnModuleInit,
  RequestMethod,
} from '@nestjs/common';
import { LoggerModule, type Params, PinoLogger } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { readLogLevel } from './log-level';
import { createPinoHttpOptions } from './pino-http-options';
import { TransportLimitedLogger } from './transport-log-limit';

/** `nestjs-pino`'s parameters, `pinoHttp` as an options object (merged with the module's). */
export type TelemetryLoggerParams = Omit<Params, 'pinoHttp'> & { pinoHttp?: Options };

/** A route for Nest's middleware that matches every request on express and on Fastify. */
const EVERY_ROUTE: NonNullable<Params['forRoutes']> = [{ path: '*path', method: RequestMethod.ALL }];

/** The logger as `forRoot()` last set it up, for `createLogger()`; the warning about `LOG_LEVEL`, written once. */
interface LoggerSetup {
  params: Params;
  warning?: string;
  warned: boolean;
}

/**
 * `nestjs-pino`'s `LoggerModule` set up for production and tied to the traces: JSON lines on stdout with
 * `trace_id`, `span_id` and `trace_flags` inside a span, each line also a record of the OpenTelemetry logs SDK,
 * pino's level names, the level from `LOG_LEVEL` (default `info`). See {@link createPinoHttpOptions} for the
 * details; `params` are `LoggerModule.forRoot()`'s, merged over these.
 *
 * Import it once, in the root module, and give its logger to Nest in `main.ts`:
 * `NestFactory.create(AppModule, { logger: TelemetryLoggerModule.createLogger() })`. Nest's `new Logger(Context)`
 * then writes through pino from the first line on, and so do `PinoLogger`, `@InjectPinoLogger()` and nestjs-pino's
 * `Logger`, all on the same pino logger.
 *
 * No per-request work by default: pino-http's middleware (the access log, `req.log`, a request bound to each
 * line, `PinoLogger.assign()`) costs on every request, logged or not: a fifth of health-api's throughput on
 * `/healthz`, measured, where the trace ids already tie each line to its request. It runs when asked for:
 * `pinoHttp.autoLogging`, `forRoutes` or `exclude`.
 *
 * @example
 * // main.ts, with `TelemetryLoggerModule.forRoot()` among AppModule's imports
 * const app = await NestFactory.create(AppModule, { logger: TelemetryLoggerModule.createLogger() });
 */
@Module({})
export class TelemetryLoggerModule implements OnModuleInit {
  private static setup: LoggerSetup | undefined;

  static forRoot(params: TelemetryLoggerParams = {}): DynamicModule {
    const { params: loggerParams } = TelemetryLoggerModule.setUp(params);
    return { module: TelemetryLoggerModule, imports: [LoggerModule.forRoot(loggerParams)] };
  }

  /**
   * The app's logger, for `NestFactory.create(AppModule, { logger })`: nestjs-pino's `Logger` on pino as the last
   * `forRoot()` set it up (as the defaults do without one). Made before Nest starts, it writes every line Nest
   * does, a failure to start included (nestjs-pino's own way, `bufferLogs` then `app.useLogger()`, leaves an error
   * in dependency injection to Nest's text logger, stack trace and all). The warnings and errors of Nest's
   * microservice transports (each failed reconnect while a broker is down) are limited to one per transport context
   * a minute.
   */
  static createLogger(): LoggerService {
    const setup = TelemetryLoggerModule.setup ?? TelemetryLoggerModule.setUp({});
    // nestjs-pino keeps the first pino logger it makes for the whole process: this one, as forRoot() set it up.
    const logger = new TransportLimitedLogger(new PinoLogger(setup.params), setup.params);
    TelemetryLoggerModule.warnOfLogLevel(logger);
    return logger;
  }

  /** An unknown `LOG_LEVEL`: one warning, through the app's logger. */
  onModuleInit(): void {
    TelemetryLoggerModule.warnOfLogLevel(new Logger(TelemetryLoggerModule.name));
  }

  private static setUp(params: TelemetryLoggerParams): LoggerSetup {
    const { level, warning } = readLogLevel(process.env['LOG_LEVEL']);
    const perRequest =
      Boolean(params.pinoHttp?.autoLogging) || params.forRoutes !== undefined || params.exclude !== undefined;
    const loggerParams: Params = {
      // pino-http's middleware on no route unless asked for, and then on every route of either platform:
      // nestjs-pino's default route, `{/*splat}`, matches no request on Fastify.
      forRoutes: perRequest ? EVERY_ROUTE : [],
      ...params,
      pinoHttp: createPinoHttpOptions(level, params.pinoHttp),
    };
    TelemetryLoggerModule.setup = { params: loggerParams, warning, warned: false };
    return TelemetryLoggerModule.setup;
  }

  private static warnOfLogLevel(logger: LoggerService): void {
    const setup = TelemetryLoggerModule.setup;
    if (!setup?.warning || setup.warned) return;
    setup.warned = true;
    logger.warn(setup.warning, TelemetryLoggerModule.name);
  }
}
