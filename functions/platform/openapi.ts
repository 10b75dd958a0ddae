/** The platform's own routes as API consumers see them. */
import * as z from 'zod';
import type { OperationDocs } from '../shared/openapi';

export const operations: OperationDocs = {
  'GET /openapi.json': {
    tag: 'Platform',
    summary: 'This API description',
    description: 'OpenAPI 3.1, generated from the schemas the handlers validate with. No token needed.',
    answers: {
      200: {
        description: 'The OpenAPI document',
        schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
      },
    },
  },
};
