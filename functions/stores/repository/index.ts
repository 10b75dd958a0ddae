/** The stores capability's storage: the only code that knows its DynamoDB keys (./keys.ts). */
export { findStoreIdByPhone, getStore, getStores, listStores, putStore } from './stores';
export { createCustomer, ensureCustomerByPhone, getCustomer, updateCustomer } from './customers';
export { findCustomerByEmail, findCustomerByPhone, findCustomersByEmail, searchCustomers } from './lookups';
export { customerForErasure, deleteCustomerLookups, deleteCustomerRecords, markCustomerErasing } from './erasure';
export { countSearch } from './search-rate';
