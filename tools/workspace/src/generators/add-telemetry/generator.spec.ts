import { addProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import addTelemetryGenerator from './generator.cjs';
import nestAppGenerator from '../nest-app/generator.cjs';

const SRC = 'apps/demo-api/src';
const MODULE_PATH = `${SRC}/app/app.module.ts`;
const SERVICE_PATH = `${SRC}/app/app.service.ts`;
const MAIN_PATH = `${SRC}/main.ts`;

/**
 * An empty workspace without a formatter, so that these tests see the edits themselves (generators.spec.ts
 * checks that the generated app comes out formatted with the workspace's prettier configuration).
 */
function emptyWorkspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.delete('.oxfmtrc.json');
  return tree;
}

/** A workspace with one Nest app, demo-api, made of `files` (paths under its src/). */
function workspaceWithApp(files: Record<string, string>): Tree {
  const tree = emptyWorkspace();
  addProjectConfiguration(tree, 'demo-api', {
    root: 'apps/demo-api',
    sourceRoot: SRC,
    projectType: 'application',
  });
  for (const [path, content] of Object.entries(files)) tree.write(`${SRC}/${path}`, content);
  return tree;
}

/** A root module laid out otherwise than the templates: multi-line, commented, trailing commas, double quotes. */
const MULTI_LINE_MODULE = `import { Module } from "@nestjs/common";
import { HealthModule } from "./health/health.module";

@Module({
  imports: [
    // The app's own features
    HealthModule,
  ],
  controllers: [],
})
export class AppModule {}
`;

const SERVICE = `import { Injectable } from '@nestjs/common';

@Injectable()
export class AppService {
  getData(): { message: string } {
    return { message: 'hello' };
  }
}
`;

function addTelemetry(tree: Tree): Promise<void> {
  return addTelemetryGenerator(tree, { project: 'demo-api', port: 3100 });
}

function read(tree: Tree, path: string): string {
  return tree.read(path, 'utf-8') ?? '';
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('add-telemetry on the root module', () => {
  it('puts TelemetryModule.forRoot() and TelemetryLoggerModule.forRoot() first in a multi-line imports array and imports them after the other imports', async () => {
    const tree = workspaceWithApp({ 'app/app.module.ts': MULTI_LINE_MODULE });
    await addTelemetry(tree);
    expect(read(tree, MODULE_PATH)).toBe(`import { Module } from "@nestjs/common";
import { HealthModule } from "./health/health.module";
import { TelemetryModule, TelemetryLoggerModule } from '@obs/telemetry';

@Module({
  imports: [
    TelemetryModule.forRoot(),
    TelemetryLoggerModule.forRoot(),
    // The app's own features
    HealthModule,
  ],
  controllers: [],
})
export class AppModule {}
`);
  });

  it.each([
    [
      '@Module({ providers: [] })',
      '@Module({ imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot()], providers: [] })',
    ],
    ['@Module()', '@Module({ imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot()] })'],
  ])('creates the imports property, first, in %s', async (decorator, decorated) => {
    const tree = workspaceWithApp({
      'app/app.module.ts': `import { Module } from '@nestjs/common';\n\n${decorator}\nexport class AppModule {}\n`,
    });
    await addTelemetry(tree);
    expect(read(tree, MODULE_PATH)).toBe(
      `import { Module } from '@nestjs/common';\nimport { TelemetryModule, TelemetryLoggerModule } from '@obs/telemetry';\n\n` +
        `${decorated}\nexport class AppModule {}\n`,
    );
  });

  it('merges TelemetryModule and TelemetryLoggerModule into an existing import from @obs/telemetry', async () => {
    const tree = workspaceWithApp({
      'app/app.module.ts': `import { Module } from '@nestjs/common';\nimport { METER, TRACER } from '@obs/telemetry';\n\n@Module({ imports: [] })\nexport class AppModule {}\n`,
    });
    await addTelemetry(tree);
    expect(read(tree, MODULE_PATH)).toBe(
      `import { Module } from '@nestjs/common';\nimport { METER, TRACER, TelemetryModule, TelemetryLoggerModule } from '@obs/telemetry';\n\n` +
        `@Module({ imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot()] })\nexport class AppModule {}\n`,
    );
  });

  it('leaves a module that lists TelemetryModule and TelemetryLoggerModule already as it is', async () => {
    const module = `import { Module } from '@nestjs/common';\nimport { TelemetryLoggerModule, TelemetryModule } from '@obs/telemetry';\n\n@Module({ imports: [TelemetryModule.forRootAsync({ useFactory: () => ({}) }), TelemetryLoggerModule.forRoot({ exclude: [] })] })\nexport class AppModule {}\n`;
    const tree = workspaceWithApp({ 'app/app.module.ts': module });
    await addTelemetry(tree);
    expect(read(tree, MODULE_PATH)).toBe(module);
  });

  it('adds TelemetryLoggerModule.forRoot() right after a TelemetryModule the module lists already', async () => {
    const tree = workspaceWithApp({
      'app/app.module.ts': `import { Module } from '@nestjs/common';\nimport { TelemetryModule } from '@obs/telemetry';\n\n@Module({ imports: [HealthModule, TelemetryModule.forRootAsync({ useFactory: () => ({}) })] })\nexport class AppModule {}\n`,
    });
    await addTelemetry(tree);
    expect(read(tree, MODULE_PATH)).toBe(
      `import { Module } from '@nestjs/common';\nimport { TelemetryModule, TelemetryLoggerModule } from '@obs/telemetry';\n\n` +
        `@Module({ imports: [HealthModule, TelemetryModule.forRootAsync({ useFactory: () => ({}) }), TelemetryLoggerModule.forRoot()] })\nexport class AppModule {}\n`,
    );
  });

  it('adds only TelemetryModule.forRoot(), first, where TelemetryLoggerModule is listed already', async () => {
    const tree = workspaceWithApp({
      'app/app.module.ts': `import { Module } from '@nestjs/common';\nimport { TelemetryLoggerModule } from '@obs/telemetry';\n\n@Module({ imports: [TelemetryLoggerModule.forRoot()] })\nexport class AppModule {}\n`,
    });
    await addTelemetry(tree);
    expect(read(tree, MODULE_PATH)).toBe(
      `import { Module } from '@nestjs/common';\nimport { TelemetryLoggerModule, TelemetryModule } from '@obs/telemetry';\n\n` +
        `@Module({ imports: [TelemetryModule.forRoot(), TelemetryLoggerModule.forRoot()] })\nexport class AppModule {}\n`,
    );
  });

  it('fails naming the file when it has no @Module() class', async () => {
    const tree = workspaceWithApp({ 'app/app.module.ts': 'export class AppModule {}\n' });
    await expect(addTelemetry(tree)).rejects.toThrow(
      `${MODULE_PATH} has no class decorated with @Module(): add TelemetryModule.forRoot() and TelemetryLoggerModule.forRoot() to the imports of your root module by hand`,
    );
  });
});

describe('add-telemetry on the sample service', () => {
  it('puts @Span() on getData(), at its indentation, and imports Span', async () => {
    const tree = workspaceWithApp({ 'app/app.module.ts': MULTI_LINE_MODULE, 'app/app.service.ts': SERVICE });
    await addTelemetry(tree);
    expect(read(tree, SERVICE_PATH)).toBe(`import { Injectable } from '@nestjs/common';
import { Span } from '@obs/telemetry';

@Injectable()
export class AppService {
  @Span()
  getData(): { message: string } {
    return { message: 'hello' };
  }
}
`);
  });

  it('merges Span into an existing import from @obs/telemetry', async () => {
    const tree = workspaceWithApp({
      'app/app.module.ts': MULTI_LINE_MODULE,
      'app/app.service.ts': SERVICE.replace(
        "import { Injectable } from '@nestjs/common';",
        "import { Injectable } from '@nestjs/common';\nimport { MeterService } from '@obs/telemetry';",
      ),
    });
    await addTelemetry(tree);
    expect(read(tree, SERVICE_PATH)).toContain(
      "import { Injectable } from '@nestjs/common';\nimport { MeterService, Span } from '@obs/telemetry';\n\n",
    );
  });

  it('decorates a reformatted getData() once, though another method has @Span() already', async () => {
    const service = `import { Injectable } from "@nestjs/common";
import { Span } from "@obs/telemetry";
@Injectable()
export class AppService {
    @Span() other() {}
    async getData () { return { message: "hello" } }
}
`;
    const tree = workspaceWithApp({ 'app/app.module.ts': MULTI_LINE_MODULE, 'app/app.service.ts': service });
    await addTelemetry(tree);
    await addTelemetry(tree);
    expect(read(tree, SERVICE_PATH)).toBe(service.replace('    async getData ()', '    @Span()\n    async getData ()'));
  });
});

describe('add-telemetry, run again', () => {
  it('changes nothing', async () => {
    const tree = workspaceWithApp({
      'app/app.module.ts': MULTI_LINE_MODULE,
      'app/app.service.ts': SERVICE,
      'main.ts': 'console.log("custom start-up");\n',
    });
    await addTelemetry(tree);
    const firstRun = new Map(tree.listChanges().map((change) => [change.path, read(tree, change.path)]));
    await addTelemetry(tree);
    const secondRun = new Map(tree.listChanges().map((change) => [change.path, read(tree, change.path)]));
    expect(secondRun).toEqual(firstRun);
    expect(occurrences(read(tree, MODULE_PATH), 'TelemetryModule.forRoot()')).toBe(1);
    expect(occurrences(read(tree, MODULE_PATH), 'TelemetryLoggerModule.forRoot()')).toBe(1);
    expect(
      occurrences(read(tree, MODULE_PATH), "import { TelemetryModule, TelemetryLoggerModule } from '@obs/telemetry';"),
    ).toBe(1);
  });
});

describe('add-telemetry on main.ts', () => {
  it('makes main.ts listen on PORT if set, else on --port, and say so, as nest-app does', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100 });
    const comment = "// Listens on PORT from the environment if set, else on 3100 (the generator's --port)";
    expect(read(tree, MAIN_PATH)).toContain(comment);
    await addTelemetry(tree);
    expect(read(tree, MAIN_PATH)).toContain(comment);
    expect(read(tree, MAIN_PATH)).toContain('{ port: 3100 }');
  });

  it("keeps a custom main.ts as main.ts.orig, but not nest-app's default or its own, reformatted and with another port", async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3000 });
    const reformat = (path: string) =>
      tree.write(path, read(tree, path).replaceAll("'", '"').replaceAll(';', '').replaceAll('  ', '    '));
    reformat(MAIN_PATH);
    await addTelemetry(tree);
    expect(tree.exists(`${MAIN_PATH}.orig`)).toBe(false);

    reformat(MAIN_PATH);
    await addTelemetry(tree);
    expect(tree.exists(`${MAIN_PATH}.orig`)).toBe(false);

    tree.write(
      MAIN_PATH,
      read(tree, MAIN_PATH).replace('void bootstrap();', 'console.log("custom");\nvoid bootstrap();'),
    );
    await addTelemetry(tree);
    expect(read(tree, `${MAIN_PATH}.orig`)).toContain('console.log("custom");');
  });
});

describe('--platform', () => {
  it('nest-app --platform fastify makes the app with a FastifyAdapter', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100, platform: 'fastify' });
    expect(read(tree, MAIN_PATH)).toContain("import { FastifyAdapter } from '@nestjs/platform-fastify';");
    expect(read(tree, MAIN_PATH)).toContain('NestFactory.create(AppModule, new FastifyAdapter())');
  });

  it('add-telemetry keeps the platform of the app it is given: Fastify for a FastifyAdapter, express otherwise', async () => {
    const onFastify = emptyWorkspace();
    await nestAppGenerator(onFastify, { name: 'demo-api', port: 3100, platform: 'fastify' });
    await addTelemetry(onFastify);
    expect(read(onFastify, MAIN_PATH)).toContain(
      "createApp(AppModule, { platform: 'fastify', logger: TelemetryLoggerModule.createLogger() })",
    );
    expect(onFastify.exists(`${MAIN_PATH}.orig`)).toBe(false);

    const onExpress = emptyWorkspace();
    await nestAppGenerator(onExpress, { name: 'demo-api', port: 3100 });
    await addTelemetry(onExpress);
    expect(read(onExpress, MAIN_PATH)).toContain(
      'createApp(AppModule, { logger: TelemetryLoggerModule.createLogger() })',
    );
  });

  it('add-telemetry --platform wins over the platform main.ts used, and a second run keeps it', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100 });
    await addTelemetryGenerator(tree, { project: 'demo-api', port: 3100, platform: 'fastify' });
    const fastifyMain = read(tree, MAIN_PATH);
    expect(fastifyMain).toContain("platform: 'fastify'");
    await addTelemetry(tree);
    expect(read(tree, MAIN_PATH)).toBe(fastifyMain);
    await addTelemetryGenerator(tree, { project: 'demo-api', port: 3100, platform: 'express' });
    expect(read(tree, MAIN_PATH)).not.toContain('platform:');
    expect(tree.exists(`${MAIN_PATH}.orig`)).toBe(false);
  });
});

describe('--transport', () => {
  const CONTROLLER_PATH = `${SRC}/app/app.controller.ts`;

  it('nest-app --transport rabbitmq makes a hybrid app answering <name>.ping over RabbitMQ on its own queue', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100, transport: 'rabbitmq' });
    expect(read(tree, MAIN_PATH)).toContain("import { listenToBroker } from '@obs/lifecycle/broker';");
    expect(read(tree, MAIN_PATH)).toContain(
      "await listenToBroker(app, { defaultUrl: 'amqp://guest:guest@127.0.0.1:5672', queue: 'demo-api' });",
    );
    expect(read(tree, CONTROLLER_PATH)).toContain("@MessagePattern('demo-api.ping')");
  });

  it('nest-app without --transport makes an HTTP app only', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100 });
    expect(read(tree, MAIN_PATH)).not.toContain('listenToBroker');
    expect(read(tree, CONTROLLER_PATH)).not.toContain('MessagePattern');
  });

  it('add-telemetry keeps the broker the app listens to, and a second run changes nothing', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100, transport: 'tcp' });
    await addTelemetry(tree);
    const main = read(tree, MAIN_PATH);
    expect(main).toContain("await listenToBroker(app, { defaultUrl: 'tcp://127.0.0.1:4100' });");
    expect(main.indexOf('listenToBroker(app')).toBeLessThan(main.indexOf('serve(app'));
    expect(tree.exists(`${MAIN_PATH}.orig`)).toBe(false);
    await addTelemetry(tree);
    expect(read(tree, MAIN_PATH)).toBe(main);
  });

  it('add-telemetry --transport wins over the broker main.ts listened to', async () => {
    const tree = emptyWorkspace();
    await nestAppGenerator(tree, { name: 'demo-api', port: 3100 });
    await addTelemetryGenerator(tree, { project: 'demo-api', port: 3100, transport: 'nats' });
    expect(read(tree, MAIN_PATH)).toContain("await listenToBroker(app, { defaultUrl: 'nats://127.0.0.1:4222' });");
    await addTelemetryGenerator(tree, { project: 'demo-api', port: 3100, transport: 'none' });
    expect(read(tree, MAIN_PATH)).not.toContain('listenToBroker');
    expect(tree.exists(`${MAIN_PATH}.orig`)).toBe(false);
  });
});
