/**
 * Scale-out (issue 17): the Hazelcast cluster the event bus runs on, the announcements by which scoring nodes say
 * which model versions they serve, and how an HTTP node sends each batch to one of them and retries it once
 * elsewhere when that node leaves or dies. Only this package imports Hazelcast.
 */
package io.churnserving.cluster;
