// Preloaded into the bench's bare app for the `peer-sentry` variant (`node --import bench/peers/sentry-init.mjs`),
// as Sentry's Node guide has it: init before anything else loads (`--import`; Sentry 11 refuses `--require`).
// DSN and sample rate come from SENTRY_DSN and SENTRY_TRACES_SAMPLE_RATE, set by the bench to the loopback sink and 1.
import * as Sentry from '@sentry/node';

Sentry.init({ sendDefaultPii: false });
