/**
 * One cache of AWS SDK v3 clients keyed by (service, region, profile, endpoint). Credentials always come from the
 * SDK's Node provider chain for the named profile (never from settings); retries are adaptive; the user agent names
 * Quarry. Without an explicit endpoint the SDK applies AWS_ENDPOINT_URL_REDSHIFT_DATA / AWS_ENDPOINT_URL itself.
 */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { version as quarryVersion } from '../../../package.json';
import { exactLongValuesPlugin } from './redshiftData/exactLongValues';

export type AwsServiceName = 'redshift-data';

export interface AwsClientOptions {
  region: string;
  /** Named profile from ~/.aws/config; undefined = default chain (env, default profile, SSO, IMDS…). */
  profile?: string;
  /** Explicit endpoint override (tests, VPC endpoints). */
  endpoint?: string;
}

export interface AwsClientFactoryOptions {
  /** SDK max attempts per call (default 4), with retry mode `adaptive`. */
  maxAttempts?: number;
  /** Default `quarry/<package version>`. */
  userAgent?: string;
  /**
   * Test seam only: fixed credentials instead of the provider chain. Production code must not pass this
   * (credentials are never read from settings).
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface ClosableClient {
  destroy(): void;
}

export class AwsClientFactory {
  private readonly cache = new Map<string, ClosableClient>();

  constructor(private readonly options: AwsClientFactoryOptions = {}) {}

  get userAgent(): string {
    return this.options.userAgent ?? `quarry/${quarryVersion}`;
  }

  static cacheKey(service: AwsServiceName, o: AwsClientOptions): string {
    return JSON.stringify([service, o.region, o.profile ?? '', o.endpoint ?? '']);
  }

  redshiftData(o: AwsClientOptions): RedshiftDataClient {
    return this.getOrCreate('redshift-data', o, () => {
      const client = new RedshiftDataClient({ ...this.commonConfig(o) });
      client.middlewareStack.use(exactLongValuesPlugin);
      return client;
    });
  }

  /** For other services' helpers: cache a client built from `commonConfig`. */
  getOrCreate<C extends ClosableClient>(service: AwsServiceName, o: AwsClientOptions, create: () => C): C {
    const key = AwsClientFactory.cacheKey(service, o);
    let client = this.cache.get(key) as C | undefined;
    if (!client) {
      client = create();
      this.cache.set(key, client);
    }
    return client;
  }

  /**
   * Without a region, the client takes it from the SDK's default chain: AWS_REGION, then the `region` of the AWS
   * profile (`profile`, else AWS_PROFILE or default) in ~/.aws/config.
   */
  commonConfig(o: AwsClientOptions): {
    region?: string;
    profile?: string;
    endpoint?: string;
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
    retryMode: string;
    maxAttempts: number;
    customUserAgent: string;
  } {
    return {
      ...(o.region ? { region: o.region } : {}),
      ...(o.profile ? { profile: o.profile } : {}),
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      credentials: this.options.credentials ?? fromNodeProviderChain(o.profile ? { profile: o.profile } : {}),
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts ?? 4,
      customUserAgent: this.userAgent,
    };
  }

  /** Destroys every cached client (closes sockets). */
  dispose(): void {
    for (const c of this.cache.values()) c.destroy();
    this.cache.clear();
  }
}
