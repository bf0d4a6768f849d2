import { PROTOCOL_NAME } from '../../../../spec/generated/constants.js';
import { expectEqual } from '../../assertions.js';
import { defineCheck } from '../../check.js';

export const check = defineCheck({
  requirement: 'OPS-1',
  slug: 'health',
  description: 'GET /health without a token: 200, health.schema.json, status "ok", protocol PROTOCOL_NAME',
  async run({ health }) {
    const body = await health();
    expectEqual({ status: body.status, protocol: body.protocol, service: body.service }, { status: 'ok', protocol: PROTOCOL_NAME, service: 'mana-sync' }, 'OPS-1', 'health');
  },
});
