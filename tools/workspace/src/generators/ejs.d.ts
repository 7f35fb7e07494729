// The template engine of @nx/devkit's generateFiles, which ships no types: the one call add-telemetry makes.
declare module 'ejs' {
  export function render(template: string, data: Record<string, unknown>): string;
}
