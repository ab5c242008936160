/**
 * A Redshift connection as users configure it (`quarry.connections` in VS Code settings, or the CLI config).
 * Holds no secrets: credentials come from the AWS profile; SecretArn only names a Secrets Manager secret.
 */
export interface RedshiftConnectionProfile {
  name: string;
  /** Empty: the SDK's default chain (AWS_REGION, the AWS profile's region in ~/.aws/config). */
  region: string;
  /** AWS named profile (SSO or keys in ~/.aws); default chain when absent. */
  profile?: string;
  /** Provisioned cluster. Exactly one of clusterIdentifier / workgroupName. */
  clusterIdentifier?: string;
  /** Redshift Serverless workgroup. */
  workgroupName?: string;
  database: string;
  /** Temporary credentials as this database user (provisioned only). */
  dbUser?: string;
  secretArn?: string;
  /** Kept for display; the Data API takes no DbGroups input. */
  dbGroups?: string[];
  /** Marks a production warehouse so the UI can ask before running writes. */
  production?: boolean;
  /** Endpoint override (VPC endpoint, local stand-in). Absent: the SDK's own resolution incl. AWS_ENDPOINT_URL_REDSHIFT_DATA. */
  endpoint?: string;
  /**
   * Seconds the connection's Data API session stays open after a statement (setting
   * `quarry.redshift.sessionKeepAliveSeconds`, 0..86400); 0 turns sessions off. Absent: the engine's default.
   */
  sessionKeepAliveSeconds?: number;
}

/** The auth/target members every Data API call takes, from a profile. */
export interface DataApiTarget {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
}

export function dataApiTarget(p: RedshiftConnectionProfile): DataApiTarget {
  const t: DataApiTarget = { Database: p.database };
  if (p.clusterIdentifier) t.ClusterIdentifier = p.clusterIdentifier;
  if (p.workgroupName) t.WorkgroupName = p.workgroupName;
  if (p.dbUser) t.DbUser = p.dbUser;
  if (p.secretArn) t.SecretArn = p.secretArn;
  return t;
}

/** Problems that would make every call fail, worded for a settings UI. Empty when the profile is usable. */
export function connectionProfileProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!value || typeof value !== 'object') return ['a connection must be an object'];
  const p = value as Record<string, unknown>;
  const label = typeof p.name === 'string' && p.name ? `connection "${p.name}"` : 'a connection';
  const optString = (key: string): void => {
    if (p[key] !== undefined && typeof p[key] !== 'string') problems.push(`${label}: ${key} must be a string`);
  };
  if (typeof p.name !== 'string' || !p.name) problems.push('a connection needs a name');
  if (p.region !== undefined && typeof p.region !== 'string') problems.push(`${label}: region must be a string`);
  if (typeof p.database !== 'string' || !p.database) problems.push(`${label}: database is required`);
  ['profile', 'clusterIdentifier', 'workgroupName', 'dbUser', 'secretArn', 'endpoint'].forEach(optString);
  if (!!p.clusterIdentifier === !!p.workgroupName) {
    problems.push(`${label}: set exactly one of clusterIdentifier (provisioned) or workgroupName (serverless)`);
  }
  if (p.workgroupName && p.dbUser) problems.push(`${label}: dbUser works only with clusterIdentifier`);
  if (p.dbUser && p.secretArn) problems.push(`${label}: set dbUser or secretArn, not both`);
  if (p.dbGroups !== undefined && !(Array.isArray(p.dbGroups) && p.dbGroups.every((g) => typeof g === 'string'))) {
    problems.push(`${label}: dbGroups must be an array of strings`);
  }
  if (p.production !== undefined && typeof p.production !== 'boolean') problems.push(`${label}: production must be true or false`);
  const keepAlive = p.sessionKeepAliveSeconds;
  if (keepAlive !== undefined && !(Number.isInteger(keepAlive) && (keepAlive as number) >= 0 && (keepAlive as number) <= 86400)) {
    problems.push(`${label}: sessionKeepAliveSeconds must be a whole number of seconds from 0 to 86400`);
  }
  return problems;
}
