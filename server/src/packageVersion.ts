/** The package's version, read from package.json at build time (the bundles keep only it). */
export { version as PACKAGE_VERSION } from '../../package.json';
