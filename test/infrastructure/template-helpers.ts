/** Reading the synthesized templates: resources by construct, the policy statements of a function. */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export interface Resource {
  Type: string;
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Sid?: string;
}

/** The logical id of a construct's CloudFormation resource (an L2 or the L1 itself). */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(element);
}

export function resource(template: Template, id: string): Resource {
  const found = template.toJSON().Resources[id] as Resource | undefined;
  if (!found) throw new Error(`No resource ${id} in the template`);
  return found;
}

export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Every statement of the IAM policies attached to a role, by the role's logical id. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every statement of the execution role of a Lambda function, by the function's logical id. */
export function statementsOfFunction(template: Template, functionId: string): Statement[] {
  const role = resource(template, functionId).Properties.Role as { 'Fn::GetAtt': [string, string] };
  return statementsOfRole(template, role['Fn::GetAtt'][0]);
}

/** The actions a role may take on resources whose rendering mentions `needle` (a logical id, a name). */
export function actionsOn(statements: Statement[], needle: string): string[] {
  return statements
    .filter((statement) => statement.Effect === 'Allow' && JSON.stringify(statement.Resource).includes(needle))
    .flatMap(actionsOf)
    .sort();
}

/**
 * A template value as text, references written `<LogicalId>` and `<LogicalId.Attribute>` (also in
 * Fn::Sub strings) and joins joined: `arn:<AWS::Partition>:scheduler:...`, or a dashboard body as the
 * JSON CloudWatch gets.
 */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(text).join(', ')}]`;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) return `<${String(object.Ref)}>`;
    if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
    if (typeof object['Fn::Sub'] === 'string') return object['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(text).join(separator);
    }
    return `{${Object.entries(object)
      .map(([key, v]) => `${key}: ${text(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
