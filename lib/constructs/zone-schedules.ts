/**
 * What the per-time-zone midnight schedules need in the stack: the EventBridge Scheduler schedule
 * group they live in, and the role Scheduler assumes to invoke their target (the manifest's
 * `zoneMidnights` function, the cart sweeper). The schedules themselves are not in the template:
 * the function whose manifest entry `uses.zoneSchedules` creates one per zone at run time
 * (saving a store), in this group only (ClientelingFunction.bind grants exactly that).
 */
import { ArnFormat, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export class ZoneSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  /** Assumed by EventBridge Scheduler (this account only); may invoke the target function and nothing else. */
  readonly role: iam.Role;
  private target: lambda.IFunction | undefined;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Deleted with the stack on every stage: deleting a group deletes its schedules, which are
    // derived state (saving a store recreates its zone's), and a kept group would go on
    // invoking a function that no longer exists.
    this.group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: runs the cart sweeper at 00:00 in each store time zone',
    });
  }

  /** The function every zone schedule invokes; the role is allowed to invoke that function only (not its versions or aliases). */
  setTarget(fn: lambda.IFunction): void {
    if (this.target)
      throw new Error('The manifest names more than one zoneMidnights function; zone schedules have one target.');
    this.target = fn;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
    );
  }

  /** The target's ARN, resolved once the capability that builds the target exists (it is built after the stores function). */
  get targetArn(): string {
    return Lazy.string({
      produce: () => {
        if (!this.target)
          throw new Error(
            'No function of the manifest is marked zoneMidnights: zone schedules would have nothing to run.',
          );
        return this.target.functionArn;
      },
    });
  }

  /** Every schedule of the group, and only those: `arn:…:scheduler:<region>:<account>:schedule/<group>/*`. */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}
