module.exports = require('../../tools/jest/config').projectConfig(__dirname, 'integration');
