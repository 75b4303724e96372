// The tool's name, version and home page, read from package.json at build time (bundled into dist/cli.js).
import packageJson from '../../../package.json';

export const TOOL_VERSION: string = packageJson.version;

/** The repository's web address (package.json `repository.url` without `git+` and `.git`). */
export const TOOL_INFORMATION_URI: string = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
