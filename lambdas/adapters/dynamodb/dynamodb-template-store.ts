/** The TemplateStore on the Loa table: a template and its versions in one partition, `TPL#<id>`. */
import type { TemplateVersionFilter } from '../../core/list-filters.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Page, PageRequest, Template, TemplateStatus, TemplateVersion } from '../../core/model.js';
import type { TemplateStore } from '../../core/templates/template-store.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { filteredTemplateVersions } from './dynamodb-filtered-lists.js';
import { getRecord, isConditionFailed, plain, putNew, strip, type Item, type Table } from './items.js';
import { indexKeys, keys, List, SortKeyPrefix } from './keys.js';
import { listPage, queryAll } from './paging.js';
import { conditionFailures, transact } from './write-engine.js';

export class DynamoDbTemplateStore implements TemplateStore {
  constructor(private readonly table: Table) {}

  async insertTemplate(template: Template, firstVersion: TemplateVersion): Promise<void> {
    try {
      await transact(this.table, [
        { Put: putNew(this.table, { ...plain(template), ...keys.template(template.id), ...indexKeys.template(template) }) },
        { Put: putNew(this.table, versionItem(firstVersion)) },
      ]);
    } catch (error) {
      if (conditionFailures(error).length > 0) throw new ConflictError(`Template ${template.id} already exists`);
      throw error;
    }
  }

  async getTemplate(id: string): Promise<Template | undefined> {
    return getRecord<Template>(this.table, keys.template(id));
  }

  async listTemplates(page: PageRequest): Promise<Page<Template>> {
    return listPage<Template>(this.table, List.templates, page);
  }

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateVersion | undefined> {
    return getRecord<TemplateVersion>(this.table, keys.version(templateId, version));
  }

  async findTemplateVersions(filter: TemplateVersionFilter, page: PageRequest): Promise<Page<TemplateVersion>> {
    return filteredTemplateVersions(this.table, filter, page);
  }

  async listTemplateVersions(templateId: string): Promise<TemplateVersion[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': keys.template(templateId).pk, ':v': SortKeyPrefix.templateVersion },
      ConsistentRead: true,
    });
    return items.map((item) => strip<TemplateVersion>(item));
  }

  async insertTemplateVersion(version: TemplateVersion): Promise<void> {
    try {
      await transact(this.table, [
        {
          Update: {
            TableName: this.table.tableName,
            Key: keys.template(version.templateId),
            UpdateExpression: 'SET latestVersion = :v',
            ConditionExpression: 'attribute_exists(pk) AND latestVersion = :previous',
            ExpressionAttributeValues: { ':v': version.version, ':previous': version.version - 1 },
          },
        },
        { Put: putNew(this.table, versionItem(version)) },
      ]);
    } catch (error) {
      if (conditionFailures(error).length === 0) throw error;
      const template = await this.getTemplate(version.templateId);
      if (!template) throw new NotFoundError(`No template ${version.templateId}`);
      throw new ConflictError(`Template ${template.id} is at version ${template.latestVersion}; cannot add version ${version.version}`);
    }
  }

  async updateTemplateVersion(version: TemplateVersion, expected: TemplateStatus): Promise<void> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: versionItem(version),
          ConditionExpression: 'attribute_exists(pk) AND #status = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expected },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        throw new ConflictError(`Version ${version.version} of template ${version.templateId} is no longer ${expected}`);
      }
      throw error;
    }
  }
}

/** Every write of a version is a whole put, so that a status change moves it to its status's list. */
function versionItem(version: TemplateVersion): Item {
  return { ...plain(version), ...keys.version(version.templateId, version.version), ...indexKeys.templateVersion(version) };
}
