/**
 * Imported first by the benches that run the Lambda handlers: Powertools reads its settings when its
 * modules load, so this must run before them. The bench prints its own figures; the handlers' JSON log
 * lines and EMF metrics would bury them.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
