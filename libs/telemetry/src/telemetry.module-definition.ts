import { ConfigurableModuleBuilder } from '@nestjs/common';
import { OPTIONS_FACTORY_METHOD, type TelemetryModuleOptions } from './telemetry-module-options';

/**
 * `forRoot()` and `forRootAsync()` as Nest's own builder makes them: the options as given, under
 * {@link GIVEN_MODULE_OPTIONS}, by value, factory, class or existing provider. `TelemetryModule` adds the
 * rest (telemetry.providers.ts).
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: GIVEN_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<TelemetryModuleOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName(OPTIONS_FACTORY_METHOD)
    .build();
