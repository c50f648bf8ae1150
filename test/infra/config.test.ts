import { describe, expect, it } from 'vitest';
import { channelConfigFromEnv } from '../../activities/notify/channels.ts';
import { readEnv } from '../../infra/config.ts';

const LINK_SECRET = 'an-alert-link-secret-of-more-than-32-characters';

describe('acknowledgement link settings', () => {
  it('PUBLIC_BASE_URL needs ALERT_LINK_SECRET: the error names the variable and why', () => {
    expect(() => readEnv({ PUBLIC_BASE_URL: 'https://heat.plant.example' })).toThrow(
      'bad environment: ALERT_LINK_SECRET: is required when PUBLIC_BASE_URL is set (it signs the acknowledgement links in alert messages)',
    );
    expect(() => readEnv({ PUBLIC_BASE_URL: 'https://heat.plant.example', ALERT_LINK_SECRET: 'short' })).toThrow(
      'ALERT_LINK_SECRET: must be at least 32 characters',
    );
  });

  it('gives the channels the secret and a week of validity by default; none without the secret', () => {
    const env = readEnv({ PUBLIC_BASE_URL: 'https://heat.plant.example', ALERT_LINK_SECRET: LINK_SECRET });
    expect(channelConfigFromEnv(env)).toMatchObject({
      publicBaseUrl: 'https://heat.plant.example',
      alertLinks: { secret: LINK_SECRET, validHours: 168 },
    });
    expect(channelConfigFromEnv(readEnv({ ALERT_LINK_SECRET: LINK_SECRET, ALERT_LINK_VALID_HOURS: '24' })).alertLinks?.validHours).toBe(24);
    expect(channelConfigFromEnv(readEnv({})).alertLinks).toBeUndefined();
  });
});
