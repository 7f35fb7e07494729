import { Controller, Get } from '@nestjs/common';

@Controller()
export class AppController {
  @Get()
  root(): { message: string } {
    return { message: 'gateway-api root/' };
  }
}
