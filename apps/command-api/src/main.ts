import { x } from '@profile-groups/config';
console.log(x);
