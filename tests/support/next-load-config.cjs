// Loads one next.config the way `next build` does, with the loadConfig() of the Next.js
// installed at argv[2], from the folder argv[3], and prints { config, warnings } as JSON:
// the resolved config (functions as "[function]", the folder's path as "<dir>") and every line
// Next logged while loading it. One config per process: Next logs some warnings only once.
const path = require('node:path');

const [nextRoot, dir] = process.argv.slice(2);
const nextDist = path.join(nextRoot, 'node_modules/next/dist');
const warnings = [];
for (const method of ['log', 'warn', 'error', 'info']) {
  console[method] = (...args) => warnings.push(args.map(String).join(' '));
}

(async () => {
  try {
    const { default: loadConfig } = require(path.join(nextDist, 'server/config.js'));
    const { PHASE_PRODUCTION_BUILD } = require(path.join(nextDist, 'shared/lib/constants.js'));
    const config = await loadConfig(PHASE_PRODUCTION_BUILD, dir, { silent: false });
    const json = JSON.stringify(config, (_, v) => (typeof v === 'function' ? '[function]' : v)).split(dir).join('<dir>');
    process.stdout.write(JSON.stringify({ config: JSON.parse(json), warnings }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: String((error && error.stack) || error), warnings }));
  }
  process.exit(0);
})();
