/**
 * The PacketLab broker (spec/broker.md): the embeddable {@link org.packetlab.broker.Broker} server,
 * and the clients that managers ({@link org.packetlab.broker.BrokerPublisher}) and endpoints
 * ({@link org.packetlab.broker.BrokerSubscriber}) use to publish and subscribe.
 */
package org.packetlab.broker;
