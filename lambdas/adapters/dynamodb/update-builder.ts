/** Update expressions of receipts and message id items, written with placeholders for every name and value. */
import type { Item } from './items.js';
import type { Key } from './keys.js';

/** Builds an UpdateItem (or a transaction's Update) with placeholders for every name and value. */
export class UpdateBuilder {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private readonly names: Record<string, string> = { '#status': 'status' };
  private readonly values: Item = {};
  private conditionExpression: string | undefined;

  set(attribute: string, value: unknown): this {
    const i = this.sets.length;
    this.names[`#s${i}`] = attribute;
    this.values[`:s${i}`] = value;
    this.sets.push(`#s${i} = :s${i}`);
    return this;
  }

  remove(attribute: string): this {
    const i = this.removes.length;
    this.names[`#r${i}`] = attribute;
    this.removes.push(`#r${i}`);
    return this;
  }

  setOrRemove(attribute: string, value: unknown): this {
    return value === undefined ? this.remove(attribute) : this.set(attribute, value);
  }

  condition(expression: string, values: Item = {}): this {
    this.conditionExpression = expression;
    Object.assign(this.values, values);
    return this;
  }

  build(tableName: string, key: Key) {
    const parts: string[] = [];
    if (this.sets.length > 0) parts.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length > 0) parts.push(`REMOVE ${this.removes.join(', ')}`);
    const expression = `${this.sets.join(' ')} ${this.removes.join(' ')} ${this.conditionExpression ?? ''}`;
    // Only the placeholders the expressions use may be sent.
    const names = Object.fromEntries(Object.entries(this.names).filter(([name]) => expression.includes(name)));
    return {
      TableName: tableName,
      Key: key,
      UpdateExpression: parts.join(' '),
      ...(this.conditionExpression !== undefined && { ConditionExpression: this.conditionExpression }),
      ExpressionAttributeNames: names,
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: this.values }),
    };
  }
}
