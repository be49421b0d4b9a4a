// Loaded before every test file. Keeps library logs out of test output unless asked.
process.env.LOG_LEVEL ??= 'error';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
