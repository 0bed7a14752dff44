import { loadConfig, ConfigError } from '../../config/load-config.js';
import type { SidekickConfig } from '../../config/config-sections.js';

/**
 * The configuration for a command that reads flows (`--config`, $SIDEKICK_CONFIG or ./sidekick.yaml),
 * so it finds the same flow and playbook folders the server does. A broken configuration is
 * printed with its file and line, sets exit code 1, and gives undefined.
 */
export function loadCliConfig(path: string | undefined): SidekickConfig | undefined {
  try {
    return loadConfig({ path });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    process.exitCode = 1;
    return undefined;
  }
}
