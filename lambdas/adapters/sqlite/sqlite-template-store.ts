/** Templates and their versions in SQLite; a new version and its template's latest version change together. */
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Page, PageRequest, Template, TemplateStatus, TemplateVersion } from '../../core/model.js';
import type { TemplateVersionFilter } from '../../core/list-filters.js';
import type { TemplateStore } from '../../core/templates/template-store.js';
import { creator, joined, oneOf } from './list-filters.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { decodeCursor, listByCreation, pageSize, toPage, type PageRow } from './sqlite-pages.js';

export class SqliteTemplateStore implements TemplateStore {
  constructor(private readonly database: SqliteDatabase) {}

  async insertTemplate(template: Template, firstVersion: TemplateVersion): Promise<void> {
    this.database.write(() => {
      const added = this.database
        .sql('INSERT INTO templates (id, created_at, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
        .run(template.id, template.createdAt, JSON.stringify(template));
      if (added.changes === 0) throw new ConflictError(`Template ${template.id} already exists`);
      this.insertVersionRow(firstVersion);
    });
  }

  async getTemplate(id: string): Promise<Template | undefined> {
    return this.database.record<Template>('SELECT data FROM templates WHERE id = ?', id);
  }

  async listTemplates(page: PageRequest): Promise<Page<Template>> {
    return listByCreation<Template>(this.database, 'templates', page);
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateVersion | undefined> {
    return this.database.record<TemplateVersion>(
      'SELECT data FROM template_versions WHERE template_id = ? AND version = ?',
      templateId,
      version,
    );
  }

  async findTemplateVersions(filter: TemplateVersionFilter, page: PageRequest): Promise<Page<TemplateVersion>> {
    // Versions are a few per template, written by people: the status index and the JSON do, no index on the author.
    const [after, afterKey] = decodeCursor(page.cursor, ['', '']);
    const conditions = joined([...oneOf('status', filter.statuses), ...creator(filter, 'author')]);
    const rows = this.database
      .sql(
        `SELECT data, k1, k2 FROM (
         SELECT data, status, json_extract(data, '$.createdAt') AS k1, template_id || '#' || printf('%010d', version) AS k2
         FROM template_versions)
       WHERE ${conditions.sql}(k1, k2) > (?, ?) ORDER BY k1, k2 LIMIT ?`,
      )
      .all(...conditions.values, after, afterKey, pageSize(page) + 1) as PageRow[];
    return toPage<TemplateVersion>(rows, page);
  }

  async listTemplateVersions(templateId: string): Promise<TemplateVersion[]> {
    return this.database.records<TemplateVersion>('SELECT data FROM template_versions WHERE template_id = ? ORDER BY version', templateId);
  }

  async insertTemplateVersion(version: TemplateVersion): Promise<void> {
    this.database.write(() => {
      const template = this.database.record<Template>('SELECT data FROM templates WHERE id = ?', version.templateId);
      if (!template) throw new NotFoundError(`No template ${version.templateId}`);
      if (version.version !== template.latestVersion + 1) {
        throw new ConflictError(`Template ${template.id} is at version ${template.latestVersion}; cannot add version ${version.version}`);
      }
      this.insertVersionRow(version);
      this.database
        .sql('UPDATE templates SET data = ? WHERE id = ?')
        .run(JSON.stringify({ ...template, latestVersion: version.version }), template.id);
    });
  }

  async updateTemplateVersion(version: TemplateVersion, expected: TemplateStatus): Promise<void> {
    const changed = this.database
      .sql('UPDATE template_versions SET status = ?, data = ? WHERE template_id = ? AND version = ? AND status = ?')
      .run(version.status, JSON.stringify(version), version.templateId, version.version, expected);
    if (changed.changes === 0) {
      throw new ConflictError(`Version ${version.version} of template ${version.templateId} is no longer ${expected}`);
    }
  }

  private insertVersionRow(version: TemplateVersion): void {
    const added = this.database
      .sql(
        `INSERT INTO template_versions (template_id, version, status, data) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      )
      .run(version.templateId, version.version, version.status, JSON.stringify(version));
    if (added.changes === 0) {
      throw new ConflictError(`Version ${version.version} of template ${version.templateId} already exists`);
    }
  }
}
