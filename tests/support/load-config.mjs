// Loads each next.config file named on the command line the way Next does — CommonJS or ESM,
// a function config called with a phase and a default config — and prints one JSON object,
// path → config, on stdout. Functions inside a config become "[function]"; a config that fails
// to load becomes { "__error": "..." }.
import { pathToFileURL } from 'node:url';

const loaded = {};
for (const file of process.argv.slice(2)) {
  try {
    const module = await import(pathToFileURL(file).href);
    let config = await module.default;
    if (typeof config === 'function') {
      config = await config('phase-production-build', { defaultConfig: {} });
    }
    const json = JSON.stringify(config, (_, value) => (typeof value === 'function' ? '[function]' : value));
    loaded[file] = json === undefined ? null : JSON.parse(json);
  } catch (error) {
    loaded[file] = { __error: String((error && error.stack) || error) };
  }
}
process.stdout.write(JSON.stringify(loaded));
