/** External mlets: any executable (such as the reference's compiled C mlets) serving endpoint sessions over fd 0, unchanged. */
package org.packetlab.extmlet;
