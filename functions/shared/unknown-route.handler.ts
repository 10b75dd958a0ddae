/** API Gateway's `$default` route: no route table, so every request is a 404 problem from the shared chain. */
import { httpApi } from './http';

export const handler = httpApi({});
